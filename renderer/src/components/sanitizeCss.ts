// CSS of email HTML (style attributes and <style> blocks, also inside <svg>), sanitized with a real CSS
// parser (css-tree) instead of regular expressions (issue 12 item 13): a regex missed `\75rl(` (an escaped
// "url("), `@\69mport`, image-set() and @font-face. The parser decodes escapes the way a browser does,
// and only what is provably inert is kept (an allow-list): declarations whose values are keywords,
// numbers, colours, strings and a known set of pure functions; rules and @media/@supports blocks.
// Anything else — url(), image-set(), @import, @font-face, expression(), custom properties, unparsable
// text — is dropped. The frame's CSP (no loads but data: images) stays as the second layer.
import { generate, ident, List, parse, walk, type CssNode } from 'css-tree';

/** Functions that compute a value from their arguments and never load anything. */
const SAFE_FUNCTIONS = new Set([
  'rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'color-mix',
  'calc', 'min', 'max', 'clamp',
  'linear-gradient', 'radial-gradient', 'conic-gradient', 'repeating-linear-gradient', 'repeating-radial-gradient', 'repeating-conic-gradient',
  'translate', 'translatex', 'translatey', 'rotate', 'scale', 'scalex', 'scaley', 'skew', 'skewx', 'skewy', 'matrix',
  'cubic-bezier', 'steps', 'rect', 'inset', 'circle', 'ellipse', 'polygon',
]);

/** Value node types that are data, not references. */
const SAFE_VALUE_NODES = new Set(['Value', 'Identifier', 'Number', 'Dimension', 'Percentage', 'Hash', 'String', 'Operator', 'Function', 'Parentheses', 'WhiteSpace', 'Ratio']);

/** At-rules whose block is more rules (sanitized the same way); every other at-rule is dropped. */
const SAFE_AT_RULES = new Set(['media', 'supports']);

/** Properties that bind behaviour or code (old IE, old Gecko) whatever their value. */
const FORBIDDEN_PROPERTIES = new Set(['behavior', '-ms-behavior', '-moz-binding']);

const PARSE = { parseValue: true, parseCustomProperty: false, parseRulePrelude: true, parseAtrulePrelude: true, onParseError: () => undefined } as const;

/** A name as the browser reads it: escapes decoded, ASCII lower-cased. */
const norm = (name: string): string => ident.decode(name).toLowerCase();

function safeValue(value: CssNode): boolean {
  let ok = true;
  walk(value, (node) => {
    if (!ok) return;
    if (!SAFE_VALUE_NODES.has(node.type)) ok = false;
    else if (node.type === 'Function' && !SAFE_FUNCTIONS.has(norm(node.name))) ok = false;
    // A "<" in a string could close the <style> element when the HTML is parsed again (mXSS).
    else if (node.type === 'String' && /[<>]/.test(node.value)) ok = false;
  });
  return ok;
}

function safeDeclaration(node: CssNode): boolean {
  if (node.type !== 'Declaration') return false;
  const property = norm(node.property);
  if (property.startsWith('--') || FORBIDDEN_PROPERTIES.has(property) || !/^-?[a-z][a-z0-9-]*$/.test(property)) return false;
  return safeValue(node.value);
}

/** Keeps the safe declarations and nested rules of a block (CSS nesting puts rules inside rules). */
function cleanBlockChildren(children: List<CssNode>): List<CssNode> {
  const kept: CssNode[] = [];
  children.forEach((child) => {
    if (child.type === 'Declaration') {
      if (safeDeclaration(child)) kept.push(child);
    } else if (child.type === 'Rule' || child.type === 'Atrule') {
      const c = cleanRule(child);
      if (c) kept.push(c);
    }
    // Raw (unparsable) text and anything else is dropped.
  });
  return new List<CssNode>().fromArray(kept);
}

function cleanRule(node: CssNode): CssNode | null {
  if (node.type === 'Rule') {
    if (node.prelude.type === 'Raw' || /[<>]/.test(generate(node.prelude).replace(/>/g, ''))) return null;
    node.block.children = cleanBlockChildren(node.block.children);
    return node;
  }
  if (node.type === 'Atrule') {
    if (!SAFE_AT_RULES.has(norm(node.name)) || !node.block) return null;
    if (node.prelude && (node.prelude.type === 'Raw' || !safeValueLike(node.prelude))) return null;
    node.block.children = cleanBlockChildren(node.block.children);
    return node;
  }
  return null;
}

/** An @media / @supports condition: no functions that load, no url(). */
function safeValueLike(prelude: CssNode): boolean {
  let ok = true;
  walk(prelude, (node) => {
    if (node.type === 'Url' || node.type === 'Raw' || (node.type === 'Function' && !SAFE_FUNCTIONS.has(norm(node.name)))) ok = false;
    if (node.type === 'String' && /[<>]/.test(node.value)) ok = false;
  });
  return ok;
}

/** Never lets the text close the element it sits in: any "<" left is written as a CSS escape. */
const closeProof = (css: string): string => css.replace(/</g, '\\3c ');

/** A style attribute's declarations, keeping only the safe ones ('' when none is left). */
export function sanitizeDeclarations(text: string): string {
  let ast: CssNode;
  try {
    ast = parse(text, { ...PARSE, context: 'declarationList' });
  } catch {
    return '';
  }
  if (ast.type !== 'DeclarationList') return '';
  ast.children = new List<CssNode>().fromArray(ast.children.toArray().filter(safeDeclaration));
  return closeProof(generate(ast));
}

/** A <style> sheet, keeping only safe rules, safe @media/@supports blocks and safe declarations. */
export function sanitizeStylesheet(text: string): string {
  let ast: CssNode;
  try {
    ast = parse(text, { ...PARSE, context: 'stylesheet' });
  } catch {
    return '';
  }
  if (ast.type !== 'StyleSheet') return '';
  const kept: CssNode[] = [];
  ast.children.forEach((child) => {
    const c = child.type === 'Rule' || child.type === 'Atrule' ? cleanRule(child) : null;
    if (c) kept.push(c);
  });
  ast.children = new List<CssNode>().fromArray(kept);
  return closeProof(generate(ast));
}

/** Decodes CSS escapes in an attribute value (SVG presentation attributes are CSS values). */
function decodeCssEscapes(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\([^\n\r\f0-9a-fA-F])/g, (_m, hex: string | undefined, ch: string | undefined) =>
    hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : (ch ?? ''));
}

/** True when an attribute value, read as CSS, references something to load (fill="url(…)", filter, mask …). */
export function cssValueLoads(value: string): boolean {
  return /(?:^|[^a-z0-9-])(?:url|image-set|-webkit-image-set|image|cross-fade|element|expression|src)\s*\(/i.test(decodeCssEscapes(value).replace(/\/\*[\s\S]*?\*\//g, ''));
}

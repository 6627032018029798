import type { Settings } from '../../../../core/engine/index.js';
import type { SettingField } from './settingsGroups.js';

type Value = Settings[keyof Settings];

/**
 * One editor for one setting; the control follows the setting's type (from its default value). A number
 * field's text is its own until it is a whole number: `raw` holds text that is not one yet (empty while
 * the user retypes it), so clearing a field never writes 0 into the settings; `error` is shown inline.
 */
export function SettingInput({ field, value, onChange, raw, onRaw, error }: {
  field: SettingField;
  value: Value;
  onChange: (v: Value) => void;
  raw?: string | undefined;
  onRaw?: (text: string | null) => void;
  error?: string | null | undefined;
}) {
  const id = `setting-${field.name}`;
  const invalid = error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error`, style: { borderColor: 'var(--bad)', outlineColor: 'var(--bad)' } } : {};
  if (field.options) {
    return (
      <select
        id={id}
        value={String(value)}
        onChange={(e) => {
          const chosen = field.options?.find((o) => String(o.value) === e.target.value);
          if (chosen) onChange(chosen.value as Value);
        }}
      >
        {field.options.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.label}</option>)}
      </select>
    );
  }
  if (typeof value === 'boolean') {
    return <input id={id} type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />;
  }
  if (typeof value === 'number') {
    return (
      <input
        id={id}
        type="text"
        inputMode="numeric"
        className="number"
        value={raw ?? String(value)}
        {...invalid}
        onChange={(e) => {
          const text = e.target.value;
          // Only a whole number reaches the settings; anything else (empty, "1.5", "-") stays text and is
          // reported inline, never coerced.
          if (/^\s*[+-]?\d{1,10}\s*$/.test(text)) {
            onChange(Number(text.trim()));
            onRaw?.(null);
          } else onRaw?.(text);
        }}
      />
    );
  }
  if (Array.isArray(value)) {
    return (
      <input
        id={id}
        value={value.join(', ')}
        onChange={(e) => onChange(e.target.value.split(',').map((s) => s.trim()).filter(Boolean))}
      />
    );
  }
  return <input id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} spellCheck={false} {...invalid} />;
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The number fields' own check: text that is not a whole number yet (the range is validateSettings'). */
export function rawNumberError(field: SettingField, text: string): string {
  const range = field.min !== undefined && field.max !== undefined ? `: allowed ${field.min}–${field.max}` : '';
  return text.trim() === '' ? `Not set yet: type a whole number${range}.` : `“${text}” is not a whole number${range}.`;
}

/**
 * validateSettings' sentence for one field, without the "name = value" it starts with (the field is right
 * there), and for a .NET regex the position it names, so the pattern can be shown with a mark under it.
 */
export function inlineError(key: string, value: unknown, message: string): { text: string; position: number | null } {
  let text = message;
  const regex = typeof value === 'string' ? `cannot use .NET regex '${value}': ` : null;
  if (regex && text.includes(regex)) text = `Not a usable .NET regex: ${text.slice(text.indexOf(regex) + regex.length)}`;
  else if (text.startsWith(`${key} = `)) text = text.slice(key.length + 3);
  const at = regex ? /at position (\d+)\s*$/.exec(text) : null;
  return { text: /[.!?]$/.test(text) ? text : `${text}.`, position: at ? Number(at[1]) : null };
}

/** The inline message under a field; for a regex, the pattern with a caret under the position. */
export function FieldError({ id, error, value }: { id: string; error: { text: string; position: number | null }; value: unknown }) {
  return (
    <div className="verdict no small field-error" id={`${id}-error`} role="alert" data-testid="setting-error">
      <span>{error.text}</span>
      {error.position !== null && typeof value === 'string' && (
        <pre className="regex-mark" aria-hidden="true" data-testid="setting-error-mark" style={{ margin: '0.3rem 0 0', color: 'var(--text)' }}>
          {value}
          {'\n'}
          {' '.repeat(Math.min(error.position, value.length))}^
        </pre>
      )}
    </div>
  );
}

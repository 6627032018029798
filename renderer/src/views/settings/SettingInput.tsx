import type { Settings } from '../../../../core/engine/settings.js';
import type { SettingField } from './settingsGroups.js';

type Value = Settings[keyof Settings];

/** One editor for one setting; the control follows the setting's type (from its default value). */
export function SettingInput({ field, value, onChange }: { field: SettingField; value: Value; onChange: (v: Value) => void }) {
  const id = `setting-${field.name}`;
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
        type="number"
        min={field.min}
        max={field.max}
        value={value}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(n)) onChange(n);
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
  return <input id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

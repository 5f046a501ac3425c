import type { ModelInfo } from '../lib/api';

/** Chooses the model for the chat's next turns. */
export function ModelPicker({
  models,
  value,
  onChange,
}: {
  models: ModelInfo[];
  value: string | undefined;
  onChange: (model: string) => void;
}) {
  const options =
    value && !models.some((m) => m.id === value)
      ? [{ id: value, isDefault: false }, ...models]
      : models;
  return (
    <label className="model-picker">
      <span className="visually-hidden">Model</span>
      <select
        data-testid="model-picker"
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
        disabled={options.length === 0}
      >
        {options.map((m) => (
          <option key={m.id} value={m.id} title={m.isDefault ? 'The default model' : undefined}>
            {m.id}
          </option>
        ))}
      </select>
    </label>
  );
}

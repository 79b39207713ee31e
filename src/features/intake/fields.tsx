// The form's building blocks: a labelled field with its Chinese error, yes/no questions, choices.
// Every control is at least 48 px tall and wide (touch), and every error is tied to its field.
import { type ReactNode } from 'react';
import { Controller, useFormContext, useFormState, type FieldPath } from 'react-hook-form';
import { normalizeDate, normalizeMonth, type IntakeFormValues } from './form-model';

export type IntakePath = FieldPath<IntakeFormValues>;

/** A DOM id for a form path: `facts.person.idNumber` → `f-facts-person-idNumber`. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

export function errorId(name: string): string {
  return `${fieldId(name)}-error`;
}

/** The error message of a field (nested paths included), or undefined. */
export function useFieldError(name: string): string | undefined {
  const { errors } = useFormState<IntakeFormValues>({ name: name as IntakePath });
  let cur: unknown = errors;
  for (const key of name.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  const message = (cur as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}

export function ErrorText({ name, message }: { name: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={errorId(name)}>
      {message}
    </p>
  );
}

interface TextFieldProps {
  name: IntakePath;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
  inputMode?: 'text' | 'numeric' | 'tel';
  autoComplete?: string;
  maxLength?: number;
  /** Tidies the text when the clerk leaves the field (months, dates). */
  normalize?: (raw: string) => string;
  multiline?: boolean;
  className?: string;
  /** Shown under the input (live checks). */
  children?: ReactNode;
  disabled?: boolean;
}

export function TextField({ name, label, hint, placeholder, inputMode, autoComplete = 'off', maxLength, normalize, multiline, className, children, disabled }: TextFieldProps) {
  const { register, setValue } = useFormContext<IntakeFormValues>();
  const error = useFieldError(name);
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  const describedBy = [error ? errorId(name) : null, hintId].filter(Boolean).join(' ') || undefined;
  const registration = register(name, {
    onBlur: normalize
      ? (e: { target: { value: string } }) => {
          const tidy = normalize(e.target.value);
          if (tidy !== e.target.value) setValue(name, tidy as never, { shouldDirty: true });
        }
      : undefined,
  });
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    placeholder,
    autoComplete,
    maxLength,
    disabled,
    ...registration,
  };
  return (
    <div className={`field${className ? ` ${className}` : ''}${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {multiline ? <textarea rows={2} {...common} /> : <input type="text" inputMode={inputMode} spellCheck={false} {...common} />}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {children}
      <ErrorText name={name} message={error} />
    </div>
  );
}

export function MonthField(props: Omit<TextFieldProps, 'normalize' | 'inputMode' | 'placeholder'> & { placeholder?: string }) {
  return <TextField inputMode="numeric" placeholder={props.placeholder ?? '年-月，如 1988-03'} normalize={normalizeMonth} maxLength={20} {...props} />;
}

export function DateField(props: Omit<TextFieldProps, 'normalize' | 'inputMode' | 'placeholder'>) {
  return <TextField inputMode="numeric" placeholder="年-月-日，如 2019-08-20" normalize={normalizeDate} maxLength={20} {...props} />;
}

interface YesNoProps {
  name: IntakePath;
  label: string;
  yes?: string;
  no?: string;
  hint?: ReactNode;
  disabled?: boolean;
}

/** A question answered 是 / 否; unanswered is null and is an error on save. */
export function YesNo({ name, label, yes = '是', no = '否', hint, disabled }: YesNoProps) {
  const { control } = useFormContext<IntakeFormValues>();
  const error = useFieldError(name);
  const id = fieldId(name);
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <fieldset
          className={`field choice${error ? ' field-invalid' : ''}`}
          aria-describedby={error ? errorId(name) : undefined}
          aria-invalid={error ? true : undefined}
          disabled={disabled}
        >
          <legend className="field-label">{label}</legend>
          <div className="segmented" role="radiogroup" aria-labelledby={undefined}>
            {([true, false] as const).map((v) => (
              <label key={String(v)} className={`segment${field.value === v ? ' segment-on' : ''}`}>
                <input
                  type="radio"
                  id={v ? id : `${id}-no`}
                  name={name}
                  ref={v ? field.ref : undefined}
                  checked={field.value === v}
                  onChange={() => field.onChange(v)}
                  onBlur={field.onBlur}
                />
                <span>{v ? yes : no}</span>
              </label>
            ))}
          </div>
          {hint && <p className="field-hint">{hint}</p>}
          <ErrorText name={name} message={error} />
        </fieldset>
      )}
    />
  );
}

interface ChoiceProps {
  name: IntakePath;
  label: string;
  options: readonly { value: string; label: string }[];
  hint?: ReactNode;
  columns?: number;
}

/** One of several options, as large radio buttons. */
export function Choice({ name, label, options, hint }: ChoiceProps) {
  const { register } = useFormContext<IntakeFormValues>();
  const error = useFieldError(name);
  const id = fieldId(name);
  const registration = register(name);
  return (
    <fieldset className={`field choice${error ? ' field-invalid' : ''}`} aria-describedby={error ? errorId(name) : undefined} aria-invalid={error ? true : undefined}>
      <legend className="field-label">{label}</legend>
      <div className="options">
        {options.map((o, i) => (
          <label key={o.value} className="option">
            <input type="radio" id={i === 0 ? id : `${id}-${i}`} value={o.value} {...registration} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {hint && <p className="field-hint">{hint}</p>}
      <ErrorText name={name} message={error} />
    </fieldset>
  );
}

export function Checkbox({ name, label, hint }: { name: IntakePath; label: string; hint?: ReactNode }) {
  const { register } = useFormContext<IntakeFormValues>();
  const id = fieldId(name);
  return (
    <label className="check" htmlFor={id}>
      <input type="checkbox" id={id} {...register(name)} />
      <span>
        {label}
        {hint && <small className="field-hint">{hint}</small>}
      </span>
    </label>
  );
}

// The county page's forms: react-hook-form with a zod schema whose messages are Chinese and name the
// field (problems.ts), checked before the server is asked; each field's problem under the field.
import { zodResolver } from '@hookform/resolvers/zod';
import type { ReactNode } from 'react';
import { useForm, type DefaultValues, type FieldErrors, type FieldValues, type Resolver } from 'react-hook-form';
import type { z } from 'zod';

export function useCountyForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaultValues: DefaultValues<z.input<S>>) {
  return useForm<z.input<S>, unknown, z.output<S>>({
    defaultValues,
    resolver: zodResolver(schema as never) as unknown as Resolver<z.input<S>, unknown, z.output<S>>,
    mode: 'onSubmit',
    reValidateMode: 'onSubmit',
  });
}

/** The problem of one field, if any; `id` is what the field's aria-describedby points to. */
export function FieldProblem({ errors, name, id }: { errors: FieldErrors; name: string; id: string }) {
  const message = errors[name]?.message;
  return typeof message === 'string' ? (
    <p className="field-error" role="alert" id={id}>
      {message}
    </p>
  ) : null;
}

/** A label, its field (given the ids it needs) and the field's problem under it. */
export function FormField({ label, id, name, errors, children }: { label: string; id: string; name: string; errors: FieldErrors; children(a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }): ReactNode }) {
  const problemId = `${id}-problem`;
  const invalid = errors[name] !== undefined;
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, 'aria-invalid': invalid, 'aria-describedby': invalid ? problemId : undefined })}
      <FieldProblem errors={errors} name={name} id={problemId} />
    </>
  );
}

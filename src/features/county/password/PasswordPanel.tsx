import { useId, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import type { PanelProps } from '../common/panel';
import { FormField, useCountyForm } from '../common/form';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';

// What the form can tell before asking the server, naming the field (the server's rule: 10 to 200 characters).
const passwordSchema = z
  .object({
    current: z.string().min(1, '请填写当前密码（或一次性密码）。'),
    next: z.string().min(10, '新密码至少10个字符。').max(200, '新密码最多200个字符。'),
    again: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.next === v.current) ctx.addIssue({ code: 'custom', path: ['next'], message: '新密码不能与当前密码相同。' });
    else if (v.again !== v.next) ctx.addIssue({ code: 'custom', path: ['again'], message: '再次输入的新密码与新密码不一致。' });
  });

/** 修改密码: one's own, with the current one; the only thing a one-time password opens. */
export function PasswordPanel({ api, onSignedOut, onChanged }: PanelProps & { onChanged(): void }) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const [done, setDone] = useState(false);
  const { register, handleSubmit, reset, control, formState } = useCountyForm(passwordSchema, { current: '', next: '', again: '' });
  const { errors } = formState;
  const [next, again] = useWatch({ control, name: ['next', 'again'] });
  const mismatch = again !== '' && again !== next && Object.keys(errors).length === 0;
  return (
    <div className="county-panel" data-testid="county-password">
      <h3>修改密码</h3>
      <form
        className="county-form"
        noValidate
        onSubmit={(e) => {
          setDone(false);
          void handleSubmit((v) =>
            run(() => api.changePassword(v.current, v.next)).then((r) => {
              if (r) {
                reset();
                setDone(true);
                onChanged();
              }
            }),
          )(e);
        }}
      >
        <FormField label="当前密码（或一次性密码）" id={`${id}-c`} name="current" errors={errors}>
          {(a11y) => <input {...a11y} type="password" autoComplete="current-password" {...register('current')} />}
        </FormField>
        <FormField label="新密码（至少10个字符）" id={`${id}-n`} name="next" errors={errors}>
          {(a11y) => <input {...a11y} type="password" autoComplete="new-password" {...register('next')} />}
        </FormField>
        <FormField label="再次输入新密码" id={`${id}-a`} name="again" errors={errors}>
          {(a11y) => <input {...a11y} type="password" autoComplete="new-password" {...register('again')} />}
        </FormField>
        {mismatch && <p className="field-error">两次输入的新密码不一致。</p>}
        <ErrorLine error={Object.keys(errors).length === 0 ? error : null} />
        {done && <p role="status">密码已修改。</p>}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            修改密码
          </button>
        </div>
      </form>
    </div>
  );
}

// 乡镇（街道）: the county's townships, and a new one.
import { useId } from 'react';
import { z } from 'zod';
import type { PanelProps } from '../common/panel';
import { FormField, useCountyForm } from '../common/form';
import { formProblemZh, requiredText } from '../common/problems';
import { useTownships } from '../common/townships';
import { ErrorLine } from '../common/ui';
import { useAction } from '../common/useAction';

// The server's rules (administration.ts createTownship); whether the county exists it tells itself.
const townshipSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, formProblemZh.required('代码'))
    .regex(/^\d{9}$/, formProblemZh.digits('代码', 9)),
  name: requiredText('名称', 100),
});

export function TownshipsPanel({ api, onSignedOut }: PanelProps) {
  const id = useId();
  const { error, busy, run } = useAction(onSignedOut);
  const { townships, reload } = useTownships(api, run);
  const { register, handleSubmit, reset, formState } = useCountyForm(townshipSchema, { code: '', name: '' });
  const { errors } = formState;
  return (
    <div className="county-panel">
      <ul data-testid="county-townships">
        {townships.map((t) => (
          <li key={t.code}>
            {t.name}（{t.code}，{t.countyName}）
          </li>
        ))}
      </ul>
      <h3>新建乡镇（街道）</h3>
      <form
        className="county-form"
        noValidate
        onSubmit={(e) =>
          void handleSubmit(async (v) => {
            if (await run(() => api.createTownship(v.code, v.name))) {
              reset();
              reload();
            }
          })(e)
        }
      >
        <FormField label="代码（9位：县级6位+3位）" id={`${id}-c`} name="code" errors={errors}>
          {(a11y) => <input {...a11y} inputMode="numeric" {...register('code')} />}
        </FormField>
        <FormField label="名称" id={`${id}-n`} name="name" errors={errors}>
          {(a11y) => <input {...a11y} {...register('name')} />}
        </FormField>
        <ErrorLine error={Object.keys(errors).length === 0 ? error : null} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            新建
          </button>
        </div>
      </form>
    </div>
  );
}

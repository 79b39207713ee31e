// 新建账号: checked before the server is asked (zod, the messages naming the field), the area offered
// only within the admin's own; the server's refusals shown below in Chinese.
import { useId } from 'react';
import { useWatch } from 'react-hook-form';
import { z } from 'zod';
import { areaZh, ROLE_ZH, type Account, type AdminApi, type SessionInfo, type Township } from '../api';
import { AREA_LEVELS, isTabletRole, REGION, ROLES, ROLE_AREA_LEVELS, type AreaLevel, type Role } from '../../../shared/roles';
import { FormField, useCountyForm } from '../common/form';
import { formProblemZh } from '../common/problems';
import { TownshipSelect } from '../common/townships';
import { ErrorLine } from '../common/ui';
import type { RunAction } from '../common/useAction';

const LABELS = { username: '用户名', displayName: '姓名', password: '初始密码', townshipCode: '乡镇（街道）', areaLevel: '辖区级别', areaCode: '辖区代码' };

// The server's own rules (administration.ts createAccount, secrets.ts passwordProblem), said before asking it.
const accountSchema = z
  .object({
    username: z
      .string()
      .trim()
      .min(1, formProblemZh.required(LABELS.username))
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, formProblemZh.username(LABELS.username)),
    displayName: z.string().trim().max(100, formProblemZh.atMost(LABELS.displayName, 100)),
    password: z.string().min(1, formProblemZh.required(LABELS.password)).min(10, formProblemZh.atLeast(LABELS.password, 10)).max(200, formProblemZh.atMost(LABELS.password, 200)),
    role: z.enum(ROLES),
    townshipCode: z.string(),
    areaLevel: z.enum(AREA_LEVELS),
    areaCode: z.string().trim(),
  })
  .superRefine((v, ctx) => {
    if (isTabletRole(v.role)) {
      if (v.townshipCode === '') ctx.addIssue({ code: 'custom', path: ['townshipCode'], message: formProblemZh.choose(LABELS.townshipCode) });
    } else if (v.areaCode === '') {
      ctx.addIssue({ code: 'custom', path: ['areaCode'], message: formProblemZh.required(LABELS.areaCode) });
    } else if (!/^\d{6}$/.test(v.areaCode)) {
      ctx.addIssue({ code: 'custom', path: ['areaCode'], message: formProblemZh.digits(LABELS.areaCode, 6) });
    }
  });

export function CreateAccountForm({ api, session, townships, run, busy, error, onCreated }: { api: AdminApi; session: SessionInfo; townships: Township[]; run: RunAction; busy: boolean; error: string | null; onCreated(a: Account): void }) {
  const id = useId();
  const { register, handleSubmit, setValue, getValues, reset, control, formState } = useCountyForm(accountSchema, {
    username: '',
    displayName: '',
    password: '',
    role: 'window-clerk',
    townshipCode: '',
    areaLevel: session.area.level,
    areaCode: session.area.code,
  });
  const { errors } = formState;
  const [role, areaLevel, townshipCode] = useWatch({ control, name: ['role', 'areaLevel', 'townshipCode'] });
  const tabletRole = isTabletRole(role);
  // An admin creates accounts only within his area: no level wider than his is offered, nor a role
  // that has only such levels (the server would refuse them).
  const within = (l: AreaLevel) => AREA_LEVELS.indexOf(l) <= AREA_LEVELS.indexOf(session.area.level);
  const roles = ROLES.filter((r) => ROLE_AREA_LEVELS[r].some(within));
  const levels: readonly AreaLevel[] = ROLE_AREA_LEVELS[role].filter(within);
  // His own area's code at his own level, the region's fixed code; a narrower area is typed.
  const codeAt = (l: AreaLevel) => (l === session.area.level ? session.area.code : l === 'region' ? REGION.code : '');

  return (
    <form
      className="county-form"
      noValidate
      onSubmit={(e) =>
        void handleSubmit(async (v) => {
          const base = { username: v.username, displayName: v.displayName, password: v.password, role: v.role };
          const input = isTabletRole(v.role) ? { ...base, townshipCode: v.townshipCode } : { ...base, area: { level: v.areaLevel, code: v.areaCode } };
          const a = await run(() => api.createAccount(input));
          if (a) {
            reset({ ...getValues(), username: '', displayName: '', password: '' });
            onCreated(a);
          }
        })(e)
      }
    >
      <FormField label="用户名（字母、数字）" id={`${id}-u`} name="username" errors={errors}>
        {(a11y) => <input {...a11y} autoCapitalize="none" {...register('username')} />}
      </FormField>
      <FormField label={LABELS.displayName} id={`${id}-n`} name="displayName" errors={errors}>
        {(a11y) => <input {...a11y} {...register('displayName')} />}
      </FormField>
      <FormField label={LABELS.password} id={`${id}-p`} name="password" errors={errors}>
        {(a11y) => <input {...a11y} type="password" autoComplete="new-password" {...register('password')} />}
      </FormField>
      <FormField label="角色" id={`${id}-r`} name="role" errors={errors}>
        {(a11y) => (
          <select
            {...a11y}
            value={role}
            onChange={(e) => {
              const next = e.target.value as Role;
              const level = ROLE_AREA_LEVELS[next].includes(session.area.level) ? session.area.level : ROLE_AREA_LEVELS[next].filter(within).at(-1)!;
              setValue('role', next);
              setValue('areaLevel', level);
              setValue('areaCode', codeAt(level));
            }}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_ZH[r]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {tabletRole ? (
        <FormField label={LABELS.townshipCode} id={`${id}-t`} name="townshipCode" errors={errors}>
          {(a11y) => <TownshipSelect {...a11y} townships={townships} value={townshipCode} onChange={(v) => setValue('townshipCode', v)} />}
        </FormField>
      ) : (
        <>
          <FormField label={LABELS.areaLevel} id={`${id}-l`} name="areaLevel" errors={errors}>
            {(a11y) => (
              <select
                {...a11y}
                value={areaLevel}
                onChange={(e) => {
                  const level = e.target.value as AreaLevel;
                  setValue('areaLevel', level);
                  setValue('areaCode', codeAt(level));
                }}
              >
                {levels.map((l) => (
                  <option key={l} value={l}>
                    {areaZh({ level: l, code: '' }).trim()}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="辖区代码（旗县、盟市6位，自治区150000）" id={`${id}-c`} name="areaCode" errors={errors}>
            {(a11y) => <input {...a11y} inputMode="numeric" {...register('areaCode')} />}
          </FormField>
        </>
      )}
      <ErrorLine error={Object.keys(errors).length === 0 ? error : null} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          新建账号
        </button>
      </div>
    </form>
  );
}

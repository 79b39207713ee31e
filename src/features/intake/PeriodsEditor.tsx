// Contribution periods of one scheme: rows of 起始月份 – 截止月份 (both months included), added and
// removed by the clerk; a row whose start is after its end shows the error on that row.
import { useFieldArray, useFormContext } from 'react-hook-form';
import { MonthField, useFieldError, ErrorText } from './fields';
import type { IntakeFormValues } from './form-model';

export function PeriodsEditor({ scheme, title, hint }: { scheme: 'pension' | 'medical'; title: string; hint: string }) {
  const { control } = useFormContext<IntakeFormValues>();
  const name = `facts.${scheme}.periods` as const;
  const { fields, append, remove } = useFieldArray({ control, name });
  const listError = useFieldError(name);
  const schemeZh = scheme === 'pension' ? '养老保险' : '医疗保险';
  return (
    <div className="periods" data-testid={`periods-${scheme}`}>
      <h3 className="periods-title">{title}</h3>
      <p className="field-hint">{hint}</p>
      {fields.length === 0 && <p className="periods-empty">尚未登记缴费记录。没有缴费的，不必添加。</p>}
      <ol className="periods-list">
        {fields.map((field, i) => (
          <li key={field.id} className="period-row" aria-label={`${schemeZh}缴费记录第${i + 1}段`}>
            <span className="period-index" aria-hidden="true">
              {i + 1}
            </span>
            <MonthField name={`${name}.${i}.from`} label={`第${i + 1}段 起始月份`} />
            <MonthField name={`${name}.${i}.to`} label={`第${i + 1}段 截止月份`} />
            <button type="button" className="button button-quiet period-remove" onClick={() => remove(i)} aria-label={`删除${schemeZh}缴费记录第${i + 1}段`}>
              删除
            </button>
          </li>
        ))}
      </ol>
      <ErrorText name={name} message={listError} />
      <button type="button" className="button" onClick={() => append({ from: '', to: '' }, { shouldFocus: true })}>
        ＋ 添加一段{schemeZh}缴费记录
      </button>
    </div>
  );
}

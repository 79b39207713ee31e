// 安置地: the 盟市 and its 旗县（市、区）, over the region's 103 county-level units. The clerk can pick
// from two lists or search by any name the place has had since 1980 (typing 昭乌达盟 finds 赤峰市's
// units), because placement papers from the 1980s use the old names.
import { useDeferredValue, useId, useMemo, useState, type Ref } from 'react';
import { leagues, countiesOfLeague, findCounty, searchRegions, type County } from '../../domain/regions';

const MAX_RESULTS = 30;

function leagueName(code: string): string {
  return leagues().find((l) => l.code === code)?.name ?? code;
}

/** The former name that made a county match the query, to show why it was found. */
function matchedFormerName(county: County, query: string): string | null {
  const q = query.trim();
  if (q === '' || county.name.includes(q) || leagueName(county.leagueCode).includes(q)) return null;
  const own = county.formerNames.find((n) => n.includes(q) || q.includes(n));
  if (own) return own;
  const league = leagues().find((l) => l.code === county.leagueCode);
  return league?.formerNames.find((n) => n.includes(q) || q.includes(n)) ?? null;
}

export interface CountyPickerProps {
  value: string;
  onChange(code: string): void;
  onBlur?(): void;
  invalid: boolean;
  describedBy?: string;
  /** The element focused when the field has an error. */
  selectRef?: Ref<HTMLSelectElement>;
  idBase: string;
}

export function CountyPicker({ value, onChange, onBlur, invalid, describedBy, selectRef, idBase }: CountyPickerProps) {
  const selected = value ? findCounty(value) : undefined;
  const [leagueChoice, setLeagueChoice] = useState<string>('');
  const league = selected?.leagueCode ?? leagueChoice;
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const results = useMemo(() => (deferredQuery.trim() === '' ? [] : searchRegions(deferredQuery)), [deferredQuery]);
  const resultsId = useId();
  const counties = league ? countiesOfLeague(league) : [];

  const pick = (code: string) => {
    onChange(code);
    const c = findCounty(code);
    if (c) setLeagueChoice(c.leagueCode);
    setQuery('');
  };

  return (
    <div className="county-picker">
      <div className="county-lists">
        <div className="field">
          <label className="field-label" htmlFor={`${idBase}-league`}>
            盟市
          </label>
          <select
            id={`${idBase}-league`}
            value={league}
            onChange={(e) => {
              setLeagueChoice(e.target.value);
              if (selected && selected.leagueCode !== e.target.value) onChange('');
            }}
          >
            <option value="">请选择盟市</option>
            {leagues().map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={idBase}>
            旗县（市、区）
          </label>
          <select
            id={idBase}
            ref={selectRef}
            value={selected ? selected.code : ''}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            onChange={(e) => pick(e.target.value)}
            onBlur={onBlur}
          >
            <option value="">{league ? '请选择旗县（市、区）' : '请先选择盟市，或在下方搜索'}</option>
            {counties.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field county-search">
        <label className="field-label" htmlFor={`${idBase}-search`}>
          按名称查找（现名或曾用名，如 昭乌达盟、集宁市）
        </label>
        <input
          id={`${idBase}-search`}
          type="search"
          value={query}
          autoComplete="off"
          placeholder="输入旗县或盟市名称"
          aria-controls={resultsId}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              // Enter picks the only match instead of submitting the form.
              e.preventDefault();
              if (results.length === 1) pick(results[0]!.code);
            }
          }}
        />
        <div id={resultsId} className="county-results" aria-live="polite">
          {deferredQuery.trim() !== '' && results.length === 0 && <p className="field-hint">没有找到“{deferredQuery.trim()}”，请换一个名称或从上面的列表中选择。</p>}
          {results.length > 0 && (
            <ul aria-label="查找结果">
              {results.slice(0, MAX_RESULTS).map((c) => {
                const former = matchedFormerName(c, deferredQuery);
                return (
                  <li key={c.code}>
                    <button type="button" className="county-result" onClick={() => pick(c.code)}>
                      <strong>{c.name}</strong>
                      <span>
                        {leagueName(c.leagueCode)}
                        {former ? `（曾用名：${former}）` : ''}
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {results.length > MAX_RESULTS && <p className="field-hint">共 {results.length} 个结果，只显示前 {MAX_RESULTS} 个，请输入更多字。</p>}
        </div>
      </div>
      <p className="county-selected" data-testid="county-selected">
        {selected ? (
          <>
            已选：{leagueName(selected.leagueCode)} {selected.name}（代码 {selected.code}）
          </>
        ) : (
          '尚未选择安置地'
        )}
      </p>
    </div>
  );
}

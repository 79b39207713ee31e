import { DEFAULT_PARAMETERS, parseParameterSet, type ParameterSet } from '../../../src/domain';

/** A validated copy of the default pack after `change` edits it (a county publishing new values). */
export function paramsWith(change: (p: ParameterSet) => void, version = 'test-pack'): ParameterSet {
  const copy = JSON.parse(JSON.stringify(DEFAULT_PARAMETERS)) as ParameterSet;
  change(copy);
  copy.version = version;
  return parseParameterSet(copy);
}

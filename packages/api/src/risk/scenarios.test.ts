/**
 * Every risk scenario (./scenarios) must raise exactly the events each step lists and reproduce
 * every value its checks name. The values are worked by hand in each file's "about".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRiskScenario, runRiskScenario } from './scenario';

const DIR = join(__dirname, 'scenarios');
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('risk scenarios', () => {
  it('has scenarios to run', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    const scenario = parseRiskScenario(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
    expect(scenario.about.length).toBeGreaterThan(100);
    expect(runRiskScenario(scenario).failures).toEqual([]);
  });
});

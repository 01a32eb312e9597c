import { Migration20261125000000Foundation } from './Migration20261125000000Foundation';
import { Migration20261125010000Plans } from './Migration20261125010000Plans';
import { Migration20261125020000Ingestion } from './Migration20261125020000Ingestion';
import { Migration20261125030000Challenges } from './Migration20261125030000Challenges';
import { Migration20261125040000Audit } from './Migration20261125040000Audit';
import { Migration20261125050000Messages } from './Migration20261125050000Messages';
import { Migration20261125060000Mt5 } from './Migration20261125060000Mt5';
import { Migration20261125070000StaffSecurity } from './Migration20261125070000StaffSecurity';
import { Migration20261125080000Traders } from './Migration20261125080000Traders';
import { Migration20261125090000ApiKeys } from './Migration20261125090000ApiKeys';
import { Migration20261125100000Risk } from './Migration20261125100000Risk';
import { Migration20261125120000RiskRules } from './Migration20261125120000RiskRules';
import { Migration20261125130000OutboxBackoff } from './Migration20261125130000OutboxBackoff';
import { Migration20261125140000RiskCommandQueue } from './Migration20261125140000RiskCommandQueue';
import { Migration20261125210000JournalAppend } from './Migration20261125210000JournalAppend';
import { Migration20261125230000CorrectionReview } from './Migration20261125230000CorrectionReview';

/**
 * Every committed migration, in order. Listed explicitly (not globbed) so that the same list
 * runs from compiled JavaScript, from tests and from tsx alike.
 */
export const migrationsList = [
  { name: 'Migration20261125000000Foundation', class: Migration20261125000000Foundation },
  { name: 'Migration20261125010000Plans', class: Migration20261125010000Plans },
  { name: 'Migration20261125020000Ingestion', class: Migration20261125020000Ingestion },
  { name: 'Migration20261125030000Challenges', class: Migration20261125030000Challenges },
  { name: 'Migration20261125040000Audit', class: Migration20261125040000Audit },
  { name: 'Migration20261125050000Messages', class: Migration20261125050000Messages },
  { name: 'Migration20261125060000Mt5', class: Migration20261125060000Mt5 },
  { name: 'Migration20261125070000StaffSecurity', class: Migration20261125070000StaffSecurity },
  { name: 'Migration20261125080000Traders', class: Migration20261125080000Traders },
  { name: 'Migration20261125090000ApiKeys', class: Migration20261125090000ApiKeys },
  { name: 'Migration20261125100000Risk', class: Migration20261125100000Risk },
  { name: 'Migration20261125120000RiskRules', class: Migration20261125120000RiskRules },
  { name: 'Migration20261125130000OutboxBackoff', class: Migration20261125130000OutboxBackoff },
  { name: 'Migration20261125140000RiskCommandQueue', class: Migration20261125140000RiskCommandQueue },
  { name: 'Migration20261125210000JournalAppend', class: Migration20261125210000JournalAppend },
  { name: 'Migration20261125230000CorrectionReview', class: Migration20261125230000CorrectionReview },
];

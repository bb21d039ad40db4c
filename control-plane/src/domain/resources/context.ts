import type { SecretBox } from '../../crypto/secret-box';
import type { Database } from '../../store/database';
import type { Policy } from './resource-kind';

/** What resource operations need: the store, the key that seals secrets, and the service's policy. */
export interface ResourceContext {
  db: Database;
  box: SecretBox;
  policy: Policy;
}

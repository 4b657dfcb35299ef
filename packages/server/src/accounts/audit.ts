/** The audit log of a store, made once per store (routes and the CLI share it). */
import { AuditLogRepository } from '../store/audit-log.js';
import type { Store } from '../store/store.js';

const made = new WeakMap<Store, AuditLogRepository>();

export function auditLog(store: Store): AuditLogRepository {
  let repo = made.get(store);
  if (!repo) {
    repo = new AuditLogRepository(store.db);
    made.set(store, repo);
  }
  return repo;
}

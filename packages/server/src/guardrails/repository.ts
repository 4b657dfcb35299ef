/** The guardrails repository of a store, made once per store (the routes share it). */
import { GuardrailRepository } from '../store/guardrails.js';
import type { Store } from '../store/store.js';

const made = new WeakMap<Store, GuardrailRepository>();

export function guardrails(store: Store): GuardrailRepository {
  let repo = made.get(store);
  if (!repo) {
    repo = new GuardrailRepository(store.db, store.engine);
    made.set(store, repo);
  }
  return repo;
}

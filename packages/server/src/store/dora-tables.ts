/** Table types of the DORA settings (migration 011), kept beside schema.ts. */

export interface DoraSettingsTable {
  org_id: string;
  /** How long after a deployment an unlinked incident on its subject counts it as failed. */
  failure_window_ms: number;
  updated_at: number;
}

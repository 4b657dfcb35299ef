/**
 * Guardrails: change freeze windows on a calendar strip (the next four weeks, day by day, in the
 * browser's zone) and deployment policies, each rule in plain words (the server's `summary`).
 * Owners and admins create, edit, enable/disable and delete them; members see them.
 */
import { useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { useSession } from '../../session';
import { PolicySection } from './deployment-policies';
import { FreezeSection } from './freeze-windows';
import type { Channel, Freeze, Policy } from './guardrail-shared';
import { useRun } from './use-run';
import './guardrails.css';

export function GuardrailsSettings() {
  const { isAdmin } = useSession();
  const [freezes, setFreezes] = useState<Freeze[]>([]);
  const [policies, setPolicies] = useState<Policy[]>([]);
  const [channels, setChannels] = useState<Channel[]>([]);
  const { run, error } = useRun((fail) => {
    api<{ freezes: Freeze[] }>('/api/v1/guardrails/freezes')
      .then((d) => setFreezes(d.freezes))
      .catch(fail);
    api<{ policies: Policy[] }>('/api/v1/guardrails/policies')
      .then((d) => setPolicies(d.policies))
      .catch(fail);
    api<{ channels: Channel[] }>('/api/v1/channels')
      .then((d) => setChannels(d.channels))
      .catch(() => setChannels([]));
  });

  return (
    <div>
      <h2>Guardrails</h2>
      <p className="muted">
        Advisory rules for changes: events are never refused, but a deploy during a freeze or against a policy
        is recorded as a violation, badged in the feed and grid, and sent to the chosen channels. Pipelines
        can ask first (GET /api/v1/guardrails/check, or the GitHub Action's check-guardrails input).
      </p>
      {!isAdmin ? <p className="muted">Only owners and admins add or change guardrails.</p> : null}
      <ErrorNote error={error} />
      <FreezeSection freezes={freezes} channels={channels} isAdmin={isAdmin} run={run} />
      <PolicySection policies={policies} channels={channels} isAdmin={isAdmin} run={run} />
    </div>
  );
}

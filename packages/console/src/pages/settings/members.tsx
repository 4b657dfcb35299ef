/**
 * Members: who belongs to the organization; admins invite by link with a role, change roles
 * and remove people. The server refuses to remove or demote the last owner and says so here.
 * An admin makes a single-use password reset link for a member who forgot theirs.
 */
import { ROLES, type Role } from '@opstrails/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, type SessionView } from '../../api';
import { CopyButton } from '../../components/copy-button';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';

interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

interface Invite {
  id: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export function MembersSettings() {
  const { session, isAdmin, setSession } = useSession();
  const [members, setMembers] = useState<Member[]>([]);
  const [invites, setInvites] = useState<Invite[]>([]);
  const [inviteRole, setInviteRole] = useState<Role>('MEMBER');
  const [link, setLink] = useState<string | null>(null);
  const [resetLink, setResetLink] = useState<{ email: string; url: string } | null>(null);
  const [orgName, setOrgName] = useState('');
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<Member[]>('/api/v1/members').then(setMembers).catch(setError);
    if (isAdmin) api<Invite[]>('/api/v1/invites').then(setInvites).catch(setError);
  }, [isAdmin]);
  useEffect(load, [load]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      load();
    } catch (err) {
      setError(err);
    }
  };

  const invite = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const created = await api<{ path: string }>('/api/v1/invites', {
        method: 'POST',
        body: { role: inviteRole },
      });
      setLink(`${window.location.origin}${created.path}`);
    });
  };

  const createOrg = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setSession(
        await api<SessionView>('/api/v1/organizations', { method: 'POST', body: { name: orgName } }),
      );
      navigate('/events');
    } catch (err) {
      setError(err);
    }
  };

  const canTouch = (m: Member) => isAdmin && (session.role === 'OWNER' || m.role !== 'OWNER');
  return (
    <div>
      <h2>Members of {session.organization.name}</h2>
      <ErrorNote error={error} />
      <div className="table-scroll">
        <table className="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-testid="member-row">
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>
                  {canTouch(m) ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      onChange={(e) =>
                        void act(() =>
                          api(`/api/v1/members/${encodeURIComponent(m.userId)}`, {
                            method: 'PATCH',
                            body: { role: e.target.value },
                          }),
                        )
                      }
                    >
                      {ROLES.filter((r) => session.role === 'OWNER' || r !== 'OWNER').map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td>
                  <Time iso={m.joinedAt} />
                </td>
                <td className="actions">
                  {canTouch(m) && m.userId !== session.user.id ? (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() =>
                        void act(async () =>
                          setResetLink(
                            await api<{ email: string; url: string }>(
                              `/api/v1/members/${encodeURIComponent(m.userId)}/reset-link`,
                              { method: 'POST' },
                            ),
                          ),
                        )
                      }
                    >
                      Reset link
                    </button>
                  ) : null}
                  {canTouch(m) || m.userId === session.user.id ? (
                    <ConfirmButton
                      label={m.userId === session.user.id ? 'Leave' : 'Remove'}
                      confirm={
                        m.userId === session.user.id ? 'You lose access.' : 'They lose access at once.'
                      }
                      onConfirm={() =>
                        act(() =>
                          api(`/api/v1/members/${encodeURIComponent(m.userId)}`, { method: 'DELETE' }),
                        )
                      }
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {resetLink ? (
        <div className="callout" role="status">
          <span>
            Send this link to {resetLink.email} privately; it sets a new password once, within 24 hours, and
            signs them out everywhere else:
          </span>
          <div className="code-block">
            <code data-testid="reset-link">{resetLink.url}</code>
            <CopyButton text={resetLink.url} />
          </div>
        </div>
      ) : null}

      {isAdmin ? (
        <>
          <h3>Invite someone</h3>
          <form className="inline-form" onSubmit={invite}>
            <label className="field">
              <span>Role</span>
              <select
                name="invite-role"
                value={inviteRole}
                onChange={(e) => setInviteRole(e.target.value as Role)}
              >
                {ROLES.filter((r) => session.role === 'OWNER' || r !== 'OWNER').map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn btn-primary">
              Create invite link
            </button>
          </form>
          {link ? (
            <div className="callout" role="status">
              <span>Send this link to one person; it works once, for 7 days:</span>
              <div className="code-block">
                <code data-testid="invite-link">{link}</code>
                <CopyButton text={link} />
              </div>
            </div>
          ) : null}
          {invites.length > 0 ? (
            <ul className="plain-list">
              {invites.map((inv) => (
                <li key={inv.id}>
                  Pending invite as {inv.role}, expires <Time iso={inv.expiresAt} />{' '}
                  <ConfirmButton
                    label="Withdraw"
                    confirm="The link stops working."
                    onConfirm={() =>
                      act(() => api(`/api/v1/invites/${encodeURIComponent(inv.id)}`, { method: 'DELETE' }))
                    }
                  />
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}

      <h3>Another organization</h3>
      <form className="inline-form" onSubmit={createOrg}>
        <label className="field">
          <span>Name</span>
          <input
            name="org-name"
            value={orgName}
            required
            maxLength={100}
            onChange={(e) => setOrgName(e.target.value)}
          />
        </label>
        <button type="submit" className="btn">
          Create and switch
        </button>
      </form>
    </div>
  );
}

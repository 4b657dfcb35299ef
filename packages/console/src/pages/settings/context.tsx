/** Business context: the free text every MCP client receives first. Admins edit, members read. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';

interface ContextView {
  context: string;
  updatedAt: string | null;
  isTemplate: boolean;
}

export function ContextSettings() {
  const { isAdmin } = useSession();
  const [view, setView] = useState<ContextView | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    api<ContextView>('/api/v1/context')
      .then((v) => {
        setView(v);
        setText(v.context);
      })
      .catch(setError);
  }, []);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api<ContextView>('/api/v1/context', { method: 'PUT', body: { context: text } });
      setView(saved);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  // The template unedited is refused by the server too: it would read as the organization's context.
  const dirty = view !== null && text !== view.context;
  return (
    <div>
      <h2>Business context</h2>
      <p className="muted">
        Tell AI assistants what your organization does, what each source, subject and type means, your
        severity conventions and rules (“staging before production”). Every MCP client reads it first.
      </p>
      {view?.isTemplate ? (
        <p className="callout">
          This is a template from the getting-started guide, an example company. Edit it to describe your
          setup and delete its first line; Save is available once the text differs from the template.
        </p>
      ) : null}
      <textarea
        className="context-editor"
        name="context"
        value={text}
        readOnly={!isAdmin}
        spellCheck
        onChange={(e) => setText(e.target.value)}
        aria-label="Business context"
      />
      <div className="row">
        {isAdmin ? (
          <button type="button" className="btn btn-primary" disabled={!dirty || saving} onClick={save}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        ) : (
          <span className="muted">Only owners and admins can edit the business context.</span>
        )}
        <span className="muted" data-testid="context-saved">
          {view?.updatedAt ? (
            <>
              Saved <Time iso={view.updatedAt} relative />
            </>
          ) : (
            'Not saved yet'
          )}
          {' · '}
          {text.length.toLocaleString()} characters
        </span>
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

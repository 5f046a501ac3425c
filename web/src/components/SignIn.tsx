import { useState, type FormEvent } from 'react';

/** Asks for an API key (or a JWT) and checks it against the server before keeping it. */
export function SignIn({
  note,
  onSignedIn,
}: {
  note: string | null;
  onSignedIn: (credential: string) => void;
}) {
  const [credential, setCredential] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = credential.trim();
    if (!value) return;
    setChecking(true);
    setError(null);
    try {
      const response = await fetch('/api/chats', {
        headers: { Authorization: `Bearer ${value}` },
        cache: 'no-store',
      });
      if (response.status === 401) {
        setError('That key was not accepted. Check it and try again.');
      } else if (!response.ok) {
        setError(`The server answered ${response.status}. Try again in a moment.`);
      } else {
        onSignedIn(value);
      }
    } catch {
      setError('Could not reach the server.');
    } finally {
      setChecking(false);
    }
  };

  return (
    <main className="sign-in-page">
      <form className="sign-in-card" onSubmit={submit}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          reprise
        </div>
        <p className="sign-in-lead">
          Chat with answers that survive reloads, dropped networks and restarts.
        </p>
        {note && (
          <p className="notice" role="alert" data-testid="sign-in-note">
            {note}
          </p>
        )}
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          data-testid="api-key-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="rpr_sk_…"
          value={credential}
          onChange={(e) => setCredential(e.target.value)}
          autoFocus
        />
        <p className="hint">
          Create one with <code>./reprise keys create --account NAME</code>. It stays in this
          browser only.
        </p>
        {error && (
          <p className="notice notice-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="primary"
          data-testid="sign-in"
          disabled={checking || !credential.trim()}
        >
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

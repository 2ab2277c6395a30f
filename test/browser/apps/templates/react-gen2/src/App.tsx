import { useEffect, useState, type FormEvent } from 'react';
import { signIn } from 'aws-amplify/auth';
import { registerAuthWorker } from 'amplify-sw-auth';
import outputs from '../amplify_outputs.json';

// The Gen2 REST API, trailing slash and all.
const { endpoint } = outputs.custom.API.myRestApi;

interface Answer {
  n: number;
  status: number;
  body: string;
}

export function App() {
  const [worker, setWorker] = useState('registering');
  const [user, setUser] = useState('');
  const [answer, setAnswer] = useState<Answer>();

  useEffect(() => {
    // StrictMode runs effects twice in dev: the second call replaces the first one's bridge.
    registerAuthWorker({ outputs }).then(
      () => setWorker('ready'),
      (error) => setWorker(`failed: ${error.code ?? error.message}`),
    );
  }, []);

  async function onSignIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username'));
    try {
      // The backend's app client allows USER_PASSWORD_AUTH (the emulator has no SRP).
      await signIn({ username, password: String(form.get('password')), options: { authFlowType: 'USER_PASSWORD_AUTH' } });
      setUser(username);
    } catch (error) {
      setUser(`failed: ${(error as Error).name}`);
    }
  }

  async function loadItems() {
    // A plain fetch: the worker signs it.
    const response = await fetch(`${endpoint}items`);
    const body = await response.text();
    setAnswer((previous) => ({ n: (previous?.n ?? 0) + 1, status: response.status, body }));
  }

  return (
    <main data-worker={worker} data-user={user}>
      <form onSubmit={onSignIn}>
        <input name="username" autoComplete="username" />
        <input name="password" type="password" autoComplete="current-password" />
        <button type="submit">Sign in</button>
      </form>
      <button id="load-items" type="button" onClick={loadItems}>
        Load items
      </button>
      {answer && (
        <output data-n={answer.n} data-status={answer.status}>
          {answer.body}
        </output>
      )}
    </main>
  );
}

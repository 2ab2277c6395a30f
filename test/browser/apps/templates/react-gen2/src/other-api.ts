import { registerAuthWorker } from 'amplify-sw-auth';

// An API outside the allowlist the build baked into the worker: the worker must refuse it.
registerAuthWorker({ apis: { other: { endpoint: 'https://other.execute-api.us-east-1.amazonaws.com/prod' } } })
  .then(() => 'registered', (error) => String(error.code))
  .then((outcome) => {
    document.body.dataset.outcome = outcome;
  });

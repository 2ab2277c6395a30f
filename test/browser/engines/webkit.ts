// WebKit: being written (issue 11).
import type { EngineDriver } from '../driver';

export const webkitDriver: EngineDriver = {
  engine: 'webkit',
 
  launch: () => Promise.reject(new Error('the webkit driver is not written yet')),
};

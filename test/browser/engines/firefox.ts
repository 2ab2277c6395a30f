// Firefox: being written (issue 11).
import type { EngineDriver } from '../driver';

export const firefoxDriver: EngineDriver = {
  engine: 'firefox',
 
  launch: () => Promise.reject(new Error('the firefox driver is not written yet')),
};

// Imported first by the harness, so that the recorder sees the page's load (see recorder.ts).
import { installRecorder } from './recorder';

installRecorder();

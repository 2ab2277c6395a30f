// `npm test` runs this first: the browser tests drive Debian's Chromium, Firefox ESR and WebKitGTK
// (MiniBrowser under Xvfb), and Cognito runs on moto_server. As root on Debian, missing browser
// packages are installed with apt-get; anywhere else the run stops at once, naming the command.
// `npm run demo` needs none of this.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PACKAGES = [
  { name: 'chromium', needs: ['/usr/bin/chromium'] },
  { name: 'firefox-esr', needs: ['/usr/bin/firefox-esr'] },
  { name: 'webkit2gtk-driver', needs: ['/usr/bin/WebKitWebDriver', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'] },
  { name: 'xvfb', needs: ['/usr/bin/xvfb-run'] },
];

const missing = PACKAGES.filter((p) => !p.needs.every((file) => existsSync(file))).map((p) => p.name);
if (missing.length > 0) {
  const command = `apt-get install -y ${missing.join(' ')}`;
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/etc/debian_version')) {
    console.error(`The browser tests need Debian packages that are not installed: ${missing.join(', ')}.\nRun: sudo ${command}`);
    process.exit(1);
  }
  console.error(`== installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } catch {
    console.error(`Could not install ${missing.join(', ')}. Run: ${command}`);
    process.exit(1);
  }
}

if (!commandExists('moto_server')) {
  console.error("The browser tests run Cognito on moto_server, which is not on PATH. Run: pip install 'moto[server]==5.2.1'");
  process.exit(1);
}

function commandExists(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

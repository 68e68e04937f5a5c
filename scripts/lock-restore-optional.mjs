// After `npm install`: this registry serves only the linux-x64 binaries of @gorules/zen-engine, so npm drops the other
// platforms' optional entries from package-lock.json (and `npm ci` then refuses the lock). Puts them back from a
// previous lock: node scripts/lock-restore-optional.mjs <previous-lock>
import { readFileSync, writeFileSync } from 'node:fs';
const [previousPath] = process.argv.slice(2);
if (!previousPath) { console.error('用法：node scripts/lock-restore-optional.mjs <previous package-lock.json>'); process.exit(2); }
const previous = JSON.parse(readFileSync(previousPath, 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const restored = [];
for (const [key, entry] of Object.entries(previous.packages)) {
  if (/node_modules\/@gorules\/zen-engine-/.test(key) && JSON.stringify(lock.packages[key]) !== JSON.stringify(entry)) {
    lock.packages[key] = entry;
    restored.push(key);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(restored.length ? `已恢复：${restored.join(', ')}` : '无需恢复');

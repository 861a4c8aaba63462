// Builds shared/data/hs2022.json from the public-domain HS 2022 nomenclature (hs2022.csv):
// the chapter names and the set of valid 6-digit subheadings, compact enough to bundle into a function.
import { readFileSync, writeFileSync } from 'node:fs';

const csv = readFileSync(new URL('../shared/data/hs2022.csv', import.meta.url), 'utf8');
const chapters: Record<string, string> = {};
const subheadings: string[] = [];
for (const line of csv.split('\n').slice(1)) {
  const match = /^(\d+),[^,]*,[^,]*,(.*)$/.exec(line.trim());
  if (!match) continue;
  const [, code = '', rawDescription = ''] = match;
  const description = rawDescription.replace(/^"|"$/g, '').replace(/""/g, '"');
  if (code.length === 2) chapters[code] = description;
  if (code.length === 6) subheadings.push(code);
}
writeFileSync(
  new URL('../shared/data/hs2022.json', import.meta.url),
  `${JSON.stringify({ chapters, subheadings: subheadings.join(',') })}\n`,
);
console.log(`chapters: ${Object.keys(chapters).length}, subheadings: ${subheadings.length}`);

/**
 * The API reports of the eight entry points (`etc/<entry>.api.md`, by API Extractor over the built
 * `dist/<entry>.d.ts`). `npm run api:check` fails when a report differs from the committed one, so
 * every change of the public API shows in review; `npm run api:update` rewrites them. Both read
 * `dist/`: run `npm run build` first.
 */
import { resolve } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = resolve(import.meta.dirname, '..');
const update = process.argv.includes('--update');
const entries = ['index', 'postgres', 'device', 'testing', 'promise', 'relay', 'nats', 'otel', 'pkcs11'] as const;

let failed = 0;
for (const entry of entries) {
  const config = ExtractorConfig.loadFileAndPrepare(resolve(root, `etc/api-extractor.${entry}.json`));
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false, messageCallback: (message) => {
    // Only the verdict matters here; API Extractor's chatter would hide it.
    if (message.logLevel !== ExtractorLogLevel.Error) message.handled = true;
  } });
  const changed = result.apiReportChanged;
  if (!result.succeeded || (!update && changed)) {
    failed += 1;
    console.error(`${entry}: the public API differs from etc/${entry}.api.md${update ? '' : ' (run npm run api:update and commit the report if the change is meant)'}`);
  } else {
    console.log(`${entry}: ${update && changed ? 'report updated' : 'matches etc/' + entry + '.api.md'}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;

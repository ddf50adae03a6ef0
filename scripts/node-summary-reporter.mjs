// node:test reporter that counts leaf tests, for the one "N passed, N failed" line.
export default async function* summary(source) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A suite that fails outside any test (a throwing hook) still counts once.
      if (event.type === 'test:fail' && event.data.details?.error?.failureType === 'hookFailed') totals.failed += 1;
      continue;
    }
    if (event.data.skip || event.data.todo) totals.skipped += 1;
    else if (event.type === 'test:pass') totals.passed += 1;
    else totals.failed += 1;
  }
  yield JSON.stringify(totals);
}

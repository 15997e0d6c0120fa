/**
 * The scheduler's service reconcile steps so far, by outcome, from its Prometheus page
 * (`flotilla_service_reconcile_steps_total`): how much controller work the writes caused.
 */
export const schedulerSteps = async (healthUrl: string): Promise<Record<string, number>> => {
  const page = await (await fetch(`${healthUrl}/metrics`)).text();
  const steps: Record<string, number> = {};
  for (const m of page.matchAll(
    /^flotilla_service_reconcile_steps_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+(?:\.\d+)?)/gm,
  )) {
    steps[m[1]!] = Number(m[2]);
  }
  return steps;
};

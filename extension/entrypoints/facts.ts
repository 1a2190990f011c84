// Facts script, injected on request by the side panel: proposes company-scan answers from the
// live page with the shared facts engine (company-scan.md).
import { proposeScanAnswers } from '../../shared/facts/propose.ts';
import type { ScanProposals } from '../lib/engines.ts';

export default defineUnlistedScript(async (): Promise<ScanProposals> => proposeScanAnswers(document, location.href));

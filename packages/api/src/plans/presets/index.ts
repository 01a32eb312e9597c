import apex from './apex-intraday-1-step.json';
import ftmo from './ftmo-2-step.json';
import instant from './instant-funding.json';
import the5ers from './the5ers-high-stakes.json';
import topstep from './topstep-eod-1-step.json';

/**
 * Plan presets: plain data files, validated by the same schema as any plan (a test proves each
 * one passes). A new plan from a preset takes the brand's time zone for its day resets, keeping
 * the preset's local reset time.
 */
export interface PlanPresetData {
  id: string;
  title: string;
  content: unknown;
}

export const PLAN_PRESETS: readonly PlanPresetData[] = [ftmo, the5ers, apex, topstep, instant];

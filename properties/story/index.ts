// A counterexample as a story a person reads in a minute (docs/exploring.md): text, the
// interactive stepper, the HTML sequence diagram, pcap, and a vitest test that reproduces it.

export { asTest, collectedByDefault, VITEST_DEFAULT_INCLUDE, type AsTestOptions } from './as-test.js';
export { escapeHtml, laneHeadSvg, sequenceSvg, storyHtml } from './html.js';
export {
  hexDump,
  NODE_TITLES,
  nodeTitle,
  packetWords,
  payloadText,
  SaKeys,
  spiText,
  truthVerdict,
  type AhVerdict,
  type PacketWords,
} from './packets.js';
export { counterexamplePcap } from './pcap.js';
export { aliceByName, replayStory, type ReplayOptions, type ReplayOutcome } from './replay.js';
export {
  runStepper,
  splitKeys,
  STEPPER_HELP,
  stepperKey,
  stepperScreen,
  type StepperIo,
  type StepperOptions,
  type StepperState,
} from './stepper.js';
export {
  actionWords,
  buildStory,
  stateChanges,
  storyNodes,
  type Lane,
  type Story,
  type StoryLine,
  type StoryOptions,
  type StoryPacket,
  type StoryStep,
} from './story.js';
export {
  ANSI,
  clockText,
  diffRows,
  MARKERS,
  stateRows,
  TABLE_COLUMNS,
  tableText,
  type DiffRow,
  type RowChange,
  type StateTable,
  type TableRow,
  type TextStyle,
} from './tables.js';
export { laneTitle, lineText, stepHeading, stepText, storyHeader, storyText, type StoryTextOptions } from './text.js';

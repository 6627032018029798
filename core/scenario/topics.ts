// The training library grouped by what a support engineer is trying to learn, in teaching order. Scenario
// folders are numbered (assets/scenarios/NN-…); a number not listed here is shown under "More scenarios",
// so a new lesson is never hidden.

export const TOPICS: readonly { title: string; numbers: readonly number[] }[] = [
  { title: 'Correlation by headers: In-Reply-To and ConversationIndex', numbers: [2, 3, 5, 9, 10, 11, 29] },
  { title: 'Tracking tokens', numbers: [4, 12, 26] },
  { title: 'Smart matching', numbers: [6, 7, 8] },
  { title: 'Who accepts a message: filtering methods and recipients', numbers: [1, 18, 30, 31, 32] },
  { title: 'Resolving the sender; internal email', numbers: [22, 23, 24, 25] },
  { title: 'Folders, Sent Items and start dates', numbers: [14, 15, 16, 17, 27] },
  { title: 'Message formats, auto-replies and duplicates', numbers: [13, 19, 20, 21] },
  { title: 'Every correlation method switched off', numbers: [28] },
];

export const OTHER_TOPIC = 'More scenarios';

/** The topic of a scenario folder name such as `07-smart-matching-false-positive`. */
export function topicOf(id: string): string {
  const n = Number(/^(\d+)-/.exec(id)?.[1]);
  return TOPICS.find((t) => t.numbers.includes(n))?.title ?? OTHER_TOPIC;
}

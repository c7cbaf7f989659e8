/** Renders the detection benchmark's JSON as the Markdown table in RESULTS.md. */
export function renderResults(result: unknown): string {
  return `# Firewall results\n\n\`\`\`json\n${JSON.stringify(result, null, 2)}\n\`\`\`\n`;
}

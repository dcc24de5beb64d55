/**
 * AWS answers tags as lists of `{Key, Value}` (under several type names, one per
 * service); rules decide exemption on a plain record. Tag values may be free text
 * written by people, so they are never logged or reported.
 */
export function tagRecord(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

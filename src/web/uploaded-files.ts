import type { UploadedFile } from '#src/domain/servicedesk/attachments.ts';

/** The File parts of a multipart field (one part or several) as the domain's uploaded files. */
export function toUploadedFiles(parts: unknown): Promise<UploadedFile[]> {
  const list = (Array.isArray(parts) ? parts : parts === undefined ? [] : [parts]).filter(
    (part): part is File => part instanceof File,
  );
  return Promise.all(
    list.map(async (f) => ({
      name: f.name,
      type: f.type,
      size: f.size,
      content: new Uint8Array(await f.arrayBuffer()),
    })),
  );
}

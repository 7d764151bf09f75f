/** Inputs shared by the ID-verification routers. */
import { z } from "zod";
import { PHOTO_MIMES } from "../../identity/photos";

export const purpose = z.string().trim().min(4, "请说明核验目的（至少 4 个字） state the purpose of the check (at least 4 characters)").max(200);
export const photo = z.object({
  mime: z.enum(PHOTO_MIMES as [string, ...string[]], { message: "照片须为 JPEG、PNG 或 WebP the photo must be JPEG, PNG or WebP" }),
  data: z.string().max(4_300_000, "照片不得超过 3 MB the photo exceeds 3 MB").regex(/^[A-Za-z0-9+/]+={0,2}$/, "照片须为 base64 the photo must be base64"),
});

/** Inputs shared by the sharing routers. */
import { z } from "zod";
import { RECORD_ID } from "../../../chain/contracts/ids";

export const datasetId = z.string().trim().regex(RECORD_ID, "数据集编号 dataset id");

export const placeholder_odps_client = 1;

export * from './postgres';
export * from './s3-gateway';

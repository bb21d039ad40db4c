export * from './postgres';
export * from './s3-gateway';
export * from './sts-server';

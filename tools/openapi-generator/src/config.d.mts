export declare function readGeneratorConfig(): {
  repoRoot: string;
  configPath: string;
  version: string;
  jarPath: string;
};

import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// consumer/ is the project the test installs outside the workspace: its vitest file runs there,
// with what it installed, never here.
export default mergeConfig(shared, defineConfig({ test: { exclude: ['consumer/**', '**/node_modules/**'] } }));

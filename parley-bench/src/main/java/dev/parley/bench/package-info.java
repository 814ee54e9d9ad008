package dev.parley.bench;

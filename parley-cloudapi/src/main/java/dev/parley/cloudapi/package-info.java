package dev.parley.cloudapi;

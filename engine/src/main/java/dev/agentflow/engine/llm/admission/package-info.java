/**
 * Token-aware admission of model calls per pool ({@code maxTokensPerMinute}, {@code
 * maxRequestsPerMinute} in the engine config): providers limit tokens and requests per minute per
 * key, so a pool that fits its call rate still earns 429s when prompts are long. Each call reserves
 * its estimated tokens ({@link dev.agentflow.engine.llm.admission.TokenEstimate}) in a sliding
 * one-minute window ({@link dev.agentflow.engine.llm.admission.SlidingWindow}) before it is sent,
 * waiting first come first served while the window is full, and settles with its real usage ({@link
 * dev.agentflow.engine.llm.admission.PoolAdmission}). The window and the line live in an {@link
 * dev.agentflow.engine.llm.admission.AdmissionStore}: PostgreSQL for a deployment of several
 * workers, memory for one. With PostgreSQL, many calls may wait at once at little cost: only the
 * first in line asks often, the others are woken when the line reaches them ({@code LineBell}).
 */
package dev.agentflow.engine.llm.admission;

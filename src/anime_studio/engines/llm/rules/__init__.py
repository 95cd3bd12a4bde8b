"""The rules language engine: Fountain/prose breakdown, template prompt enhancement, a plain assistant."""

from anime_studio.engines.llm.rules.engine import RulesLlmEngine

__all__ = ["RulesLlmEngine"]

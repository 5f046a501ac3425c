package dev.reprise.model.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Exact decimal arithmetic: + - * / ^, parentheses and unary minus. */
public final class CalculatorTool implements Tool {
  private static final ToolSpecification SPEC =
      ToolSpecification.builder()
          .name("calculator")
          .description(
              "Evaluates an arithmetic expression exactly: + - * / ^ (whole powers), parentheses.")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty("expression", "For example (1.5 + 2) * 3^2")
                  .required("expression")
                  .build())
          .build();
  private static final MathContext PRECISION = new MathContext(34, RoundingMode.HALF_EVEN);
  private static final int MAX_LENGTH = 500;
  private static final int MAX_EXPONENT = 1000;

  @Override
  public ToolSpecification specification() {
    return SPEC;
  }

  @Override
  public JsonNode call(JsonNode input) throws ToolException {
    String expression = input.path("expression").asText("");
    if (expression.isBlank() || expression.length() > MAX_LENGTH) {
      throw new ToolException("Give an expression of 1 to " + MAX_LENGTH + " characters.");
    }
    BigDecimal value = new Parser(expression).parse();
    return JsonNodeFactory.instance
        .objectNode()
        .put("expression", expression)
        .put("result", value.stripTrailingZeros().toPlainString());
  }

  /** Recursive descent: sum, product, unary minus, power (right-associative), atom. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    BigDecimal parse() throws ToolException {
      BigDecimal value = sum();
      skipSpaces();
      if (pos < text.length()) {
        throw error("Unexpected '" + text.charAt(pos) + "'");
      }
      return value;
    }

    private BigDecimal sum() throws ToolException {
      BigDecimal value = product();
      while (true) {
        if (eat('+')) {
          value = value.add(product(), PRECISION);
        } else if (eat('-')) {
          value = value.subtract(product(), PRECISION);
        } else {
          return value;
        }
      }
    }

    private BigDecimal product() throws ToolException {
      BigDecimal value = unary();
      while (true) {
        if (eat('*')) {
          value = value.multiply(unary(), PRECISION);
        } else if (eat('/')) {
          BigDecimal divisor = unary();
          if (divisor.signum() == 0) {
            throw new ToolException("Division by zero.");
          }
          value = value.divide(divisor, PRECISION);
        } else {
          return value;
        }
      }
    }

    /** Minus binds looser than ^, as in -2^2 = -4. */
    private BigDecimal unary() throws ToolException {
      if (eat('-')) {
        return unary().negate();
      }
      if (eat('+')) {
        return unary();
      }
      return power();
    }

    private BigDecimal power() throws ToolException {
      BigDecimal base = atom();
      if (!eat('^')) {
        return base;
      }
      BigDecimal exponent = unary();
      try {
        int n = exponent.intValueExact();
        if (Math.abs(n) > MAX_EXPONENT) {
          throw new ToolException("Exponents are limited to ±" + MAX_EXPONENT + ".");
        }
        if (n < 0 && base.signum() == 0) {
          throw new ToolException("Division by zero.");
        }
        return base.pow(n, PRECISION);
      } catch (ArithmeticException e) {
        throw new ToolException("Only whole-number exponents are supported.");
      }
    }

    private BigDecimal atom() throws ToolException {
      if (eat('(')) {
        BigDecimal value = sum();
        if (!eat(')')) {
          throw error("Missing ')'");
        }
        return value;
      }
      return number();
    }

    private BigDecimal number() throws ToolException {
      skipSpaces();
      int start = pos;
      while (pos < text.length()
          && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      if (start == pos) {
        throw error(
            pos < text.length() ? "Unexpected '" + text.charAt(pos) + "'" : "Unexpected end");
      }
      try {
        return new BigDecimal(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw error("Bad number '" + text.substring(start, pos) + "'");
      }
    }

    private boolean eat(char c) {
      skipSpaces();
      if (pos < text.length() && text.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private ToolException error(String what) {
      return new ToolException(what + " at position " + (pos + 1) + ".");
    }
  }
}

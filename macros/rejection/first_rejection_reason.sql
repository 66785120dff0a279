{#-
    Given a list of [condition, reason] pairs, the reason of the first condition that
    holds, else null. Staging keeps a row exactly when this is null.
-#}
{% macro first_rejection_reason(checks) %}
    case
        {%- for check in checks %}
        when {{ check[0] }} then '{{ check[1] }}'
        {%- endfor %}
    end
{% endmacro %}

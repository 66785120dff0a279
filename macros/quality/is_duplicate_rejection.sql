{#- True for rejection reasons that lose no information (an exact repeat, or an older record of a kept key). -#}
{% macro is_duplicate_rejection(reason) %}
    ({{ reason }} = 'exact_duplicate' or {{ reason }} like '%\_superseded' escape '\')
{% endmacro %}

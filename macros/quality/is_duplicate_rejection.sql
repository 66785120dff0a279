{#-
    True for rejection reasons that lose no information: an exact repeat, an older record of a
    kept key, or a row the connector marks deleted at the source (`deleted_in_source`).
-#}
{% macro is_duplicate_rejection(reason) %}
    ({{ reason }} = 'exact_duplicate' or {{ reason }} like '%\_superseded' escape '\'
        or {{ reason }} = 'deleted_in_source')
{% endmacro %}

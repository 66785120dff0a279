{#-
    True for rejection reasons that lose no information: an exact repeat, an older record of a
    kept key, or a row the connector marks deleted at the source (`deleted_in_source`). No LIKE
    ... escape: Spark reads a backslash in a literal as an escape character.
-#}
{% macro is_duplicate_rejection(reason) %}
    ({{ reason }} = 'exact_duplicate' or {{ dbt.right(reason, 11) }} = '_superseded'
        or {{ reason }} = 'deleted_in_source')
{% endmacro %}

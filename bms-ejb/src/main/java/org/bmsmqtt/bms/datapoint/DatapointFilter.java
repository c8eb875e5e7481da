package org.bmsmqtt.bms.datapoint;

/**
 * Which datapoints a list shows; every part optional (null).
 *
 * @param pathPrefix the item tree below this path
 * @param brokerId   bound (command or report topic) to this broker
 * @param dataType   of this data type
 */
public record DatapointFilter(String pathPrefix, Long brokerId, DataType dataType) {
}
